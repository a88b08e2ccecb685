/* main.c - the bench command's entry point; everything else is in the library. */
#include "bench.h"

int main(int argc, char **argv)
{
    return bench_main(argc, argv);
}
