# jefferson - pipeline-parallel engine and visualising benchmark harness.
#
#   make            build build/bench and libjefferson (build/libjefferson.a, .so)
#   make install    headers, libraries, jefferson.pc, bench, workloads, man page
#                   (PREFIX=/usr/local, DESTDIR=); make uninstall removes them
#   make check-api  each public header compiles alone; the .so exports only the API
#   make examples-check  install into a temporary DESTDIR, build examples/ against
#                   it with pkg-config only, run them under every strategy
#   make test       build and run every cmocka test
#   make perf-check compare fixed runs with results/baseline/ (perf-baseline rewrites it)
#   make demo       run the default workload, print where the results went
#   make sanitize   run the tests under ASan+UBSan, the concurrency tests under TSan
#   make memcheck   a short bench run under valgrind
#   make stress     random workloads, strategies and faults for STRESS_SECONDS (60)
#   make deps       install missing Debian packages
#   make SANITIZER=address|undefined|thread   build with a sanitizer (into build/<san>/)
#   make V=1        show the commands

PKGS      := libxml-2.0 libcjson hwloc cmocka
DEB_PKGS  := libxml2-dev libcjson-dev libhwloc-dev libcmocka-dev pkg-config
PREFIX    ?= /usr/local
# The commit bench and result.json report; the library's version is
# include/jefferson/version.h's (the shared library's soname is its major).
COMMIT    := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)
JF_VERSION_PART = $(shell sed -n 's/^\#define JF_VERSION_$(1) *\([0-9]*\)$$/\1/p' \
                    include/jefferson/version.h)
VMAJOR    := $(call JF_VERSION_PART,MAJOR)
VERSION   := $(VMAJOR).$(call JF_VERSION_PART,MINOR).$(call JF_VERSION_PART,PATCH)

CC        ?= cc
STD       := -std=c11 -D_GNU_SOURCE
WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
OPT       ?= -O2 -g
DEPFLAGS   = -MMD -MP
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

ifeq ($(SANITIZER),)
BUILD     := build
SAN_FLAGS :=
else ifeq ($(SANITIZER),address)
BUILD     := build/address
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else ifeq ($(SANITIZER),undefined)
BUILD     := build/undefined
SAN_FLAGS := -fsanitize=undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else ifeq ($(SANITIZER),thread)
BUILD     := build/thread
SAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
else
$(error SANITIZER must be address, undefined or thread)
endif

ALL_CFLAGS  = $(STD) $(WARN) $(OPT) $(SAN_FLAGS) $(PKG_CFLAGS) -DJF_COMMIT='"$(COMMIT)"' \
              -DJF_CFLAGS='"$(strip $(OPT) $(SAN_FLAGS) $(CFLAGS))"' -I. -Iinclude $(CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)
# -ldl: dlopen, for plugin stages (in libc itself since glibc 2.34; older ones need it).
LIBS        = $(PKG_LIBS) -lpthread -lm -ldl

# libjefferson: the engine and the renderer, what include/jefferson/ declares.
# libbench.a: what bench adds (workloads, harness, the oneTBB peer), linked
# into bench, the tests and the microbenchmarks only; never installed.
LIB_SRC   := $(wildcard core/*.c viz/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
BENCH_SRC := $(wildcard workloads/*.c) $(filter-out harness/main.c,$(wildcard harness/*.c))
BENCH_OBJ := $(BENCH_SRC:%.c=$(BUILD)/obj/%.o)
ARCHIVES   = $(BUILD)/libbench.a $(BUILD)/libjefferson.a
SONAME    := libjefferson.so.$(VMAJOR)
SO_REAL   := $(BUILD)/libjefferson.so.$(VERSION)
SO_LIBS    = $(shell pkg-config --libs libxml-2.0 libcjson hwloc 2>/dev/null) -lpthread -lm
TEST_SRC  := $(wildcard tests/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# Tests that start threads: run again under ThreadSanitizer by `make sanitize`.
CONC_TESTS := test_queue test_pipeline test_failure test_workload_kernels test_harness_signal \
              test_strategy

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all deps test demo sanitize check-sanitize clean install uninstall tsan-test stress memcheck
all: $(BUILD)/bench $(BUILD)/libjefferson.a $(BUILD)/libjefferson.so

# --- configuration: $(BUILD)/config/ (mk/config.sh) ------------------------------
# Before make reads what depends on the machine, it remakes config.mk: that
# runs `deps` first (installing what is missing), then mk/config.sh, which
# records what is installed and how objects are compiled. When the record
# changes, make starts over with it, so the first `make demo` on a fresh
# machine already builds the oneTBB peer it has just installed, and an
# object compiled under another configuration always rebuilds
# (compile.stamp is a prerequisite of every object). Goals that need no
# build (clean, deps) skip this.
CONFIG_DIR    := $(BUILD)/config
COMPILE_STAMP := $(CONFIG_DIR)/compile.stamp
COMMIT_STAMP  := $(CONFIG_DIR)/commit.stamp
NO_CONFIG_GOALS := clean deps deps-tbb uninstall
ifneq ($(filter-out $(NO_CONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(CONFIG_DIR)/config.mk
endif

$(CONFIG_DIR)/config.mk: deps mk/config.sh FORCE
	@BUILD='$(BUILD)' SANITIZER='$(SANITIZER)' OPENMP='$(OPENMP)' CC='$(CC)' CXX='$(CXX)' OPT='$(OPT)' \
	    CFLAGS='$(CFLAGS)' CXXFLAGS='$(CXXFLAGS)' LDFLAGS='$(LDFLAGS)' PKGS='$(PKGS)' \
	    COMMIT='$(COMMIT)' mk/config.sh
$(COMPILE_STAMP) $(COMMIT_STAMP): $(CONFIG_DIR)/config.mk ;

.PHONY: FORCE
FORCE:

deps:
	@if ! pkg-config --exists $(PKGS) 2>/dev/null; then \
	    echo "installing $(DEB_PKGS)"; \
	    SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PKGS) >/dev/null; \
	fi

$(BUILD)/libjefferson.a: $(LIB_OBJ)
$(BUILD)/libbench.a: $(BENCH_OBJ)
$(ARCHIVES):
	@mkdir -p $(@D)
	$(if $(Q),@echo "  AR    $@")
	$(Q)rm -f $@ && ar rcs $@ $^

# The shared library: the same sources compiled again position-independent
# with hidden visibility, so that only what include/jefferson/ declares
# JF_API is exported (make check-api). Real name with the full version,
# soname with the major, and the development link.
PIC_OBJ := $(LIB_SRC:%.c=$(BUILD)/pic/%.o) $(BUILD)/pic/gen/timeline_js.o
PIC_FLAGS := -fPIC -fvisibility=hidden
ifeq ($(SANITIZER),)
SO_LDFLAGS := -Wl,--no-undefined
endif

$(SO_REAL): $(PIC_OBJ)
	$(if $(Q),@echo "  SO    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) $(SO_LDFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(SO_LIBS)

$(BUILD)/libjefferson.so: $(SO_REAL)
	$(Q)ln -sf $(notdir $(SO_REAL)) $(BUILD)/$(SONAME) && ln -sf $(SONAME) $@

$(BUILD)/pic/%.o: %.c $(COMPILE_STAMP)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC    $< (pic)")
	$(Q)$(CC) $(ALL_CFLAGS) $(PIC_FLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/bench: $(BUILD)/obj/harness/main.o $(ARCHIVES)
	$(if $(Q),@echo "  LINK  $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# index.html's timeline script and style sheet are plain files in viz/,
# compiled into the library as C strings (viz/timeline.h).
TL_JS  := viz/timeline_decode.js viz/timeline_draw.js viz/timeline.js
TL_C   := $(BUILD)/gen/timeline_js.c
TL_OBJ := $(BUILD)/obj/gen/timeline_js.o

$(TL_C): $(TL_JS) viz/timeline.css mk/cstring.sh
	@mkdir -p $(@D)
	$(if $(Q),@echo "  GEN   $@")
	$(Q){ mk/cstring.sh jf__tl_js --function $(TL_JS) && \
	      mk/cstring.sh jf__tl_css viz/timeline.css; } >$@.tmp && mv $@.tmp $@

$(TL_OBJ): $(TL_C) $(COMPILE_STAMP)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC    $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/libjefferson.a: $(TL_OBJ)

$(BUILD)/pic/gen/timeline_js.o: $(TL_C) $(COMPILE_STAMP)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC    $< (pic)")
	$(Q)$(CC) $(ALL_CFLAGS) $(PIC_FLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.c $(COMPILE_STAMP)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC    $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(ARCHIVES)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LINK  $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# Plugin stages the tests load (tests/plugin/stage.c; the second speaks another ABI
# version). Plain shared objects, built into build/tests/ under every SANITIZER, so that
# the README's error catalogue can name them.
TEST_PLUGINS := build/tests/libtest_plugin.so build/tests/libtest_plugin_abi.so
PLUGIN_CFLAGS = $(STD) $(WARN) $(OPT) -fPIC -shared -Iinclude $(CFLAGS)

build/tests/libtest_plugin.so: tests/plugin/stage.c include/jefferson/plugin.h
	@mkdir -p $(@D)
	$(if $(Q),@echo "  SO    $@")
	$(Q)$(CC) $(PLUGIN_CFLAGS) -o $@ $<

build/tests/libtest_plugin_abi.so: tests/plugin/stage.c include/jefferson/plugin.h
	@mkdir -p $(@D)
	$(if $(Q),@echo "  SO    $@")
	$(Q)$(CC) $(PLUGIN_CFLAGS) -DTEST_PLUGIN_ABI=99 -o $@ $<

# Tests find the built bench, the workloads and the test plugins through the environment.
TEST_ENV = JF_BENCH=$(abspath $(BUILD)/bench) JF_WORKLOADS=$(abspath workloads) \
           JF_TEST_PLUGINS=$(abspath build/tests)

test: $(BUILD)/bench $(TEST_BIN) $(TEST_PLUGINS) $(if $(SANITIZER),,check-api)
	@$(TEST_ENV) tests/run.sh $(TEST_BIN)

# Each public header compiles alone; the shared library exports exactly the
# functions they declare (mk/check-api.sh).
.PHONY: check-api
check-api: $(BUILD)/libjefferson.so
	@CC='$(CC)' mk/check-api.sh include $(SO_REAL)

# CI performance check against results/baseline/ (docs/regressions.md): simulated runs
# compared exactly, short measured runs with a 50% threshold; then perf-check's own
# timed self-test (tests/test_perf_check.c, JF_TEST_TIMED=1), which `make test` skips
# because other programs on the machine move wall times. perf-baseline rewrites it.
.PHONY: perf-check perf-baseline
perf-check: $(BUILD)/bench $(BUILD)/tests/test_perf_check
	@$(TEST_ENV) tests/perf_check.sh
	@JF_TEST_TIMED=1 $(TEST_ENV) tests/run.sh $(BUILD)/tests/test_perf_check

perf-baseline: $(BUILD)/bench
	@$(TEST_ENV) tests/perf_check.sh --update

demo: $(BUILD)/bench
	$(BUILD)/bench --workload bottleneck --cores 2

sanitize check-sanitize:
	$(MAKE) SANITIZER=address test
	$(MAKE) SANITIZER=thread tsan-test

tsan-test: $(BUILD)/bench $(CONC_TESTS:%=$(BUILD)/tests/%)
	@TSAN_OPTIONS=halt_on_error=1 $(TEST_ENV) tests/run.sh $(CONC_TESTS:%=$(BUILD)/tests/%)

# make memcheck: a short bench run under valgrind; any error or leak fails it.
# Every strategy but omp, strictly; then omp alone, with mk/libgomp.supp for
# the TLS of libgomp's pool threads, which live until exit (the file says why).
MEMCHECK = valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
           --error-exitcode=9
MEMCHECK_RUN = --workload bottleneck --cores 2 --items 2000 --repeat 1 --no-history
memcheck: $(BUILD)/bench
	@out=$$(mktemp -d) && \
	strategies=$$($(BUILD)/bench list | awk '/^strategies/{on=1;next} /^[^ ]/{on=0} \
	    on && $$1 != "omp" && !/unavailable/ {printf "%s%s", sep, $$1; sep=","}') && \
	$(MEMCHECK) $(BUILD)/bench $(MEMCHECK_RUN) --strategy $$strategies --out $$out/run \
	    >/dev/null && \
	{ [ -z "$(JF_OMP)" ] || $(MEMCHECK) --suppressions=mk/libgomp.supp $(BUILD)/bench \
	    $(MEMCHECK_RUN) --strategy omp --out $$out/omp >/dev/null; }; rc=$$?; rm -rf $$out; \
	if [ $$rc -eq 0 ]; then echo "memcheck: no errors, no leaks ($$strategies$(if $(JF_OMP),; omp))"; \
	else exit $$rc; fi

# make stress [STRESS_SECONDS=600] [STRESS_SEED=N]: random runs with faults.
STRESS_SECONDS ?= 60
stress: $(BUILD)/stress
	$(TEST_ENV) $(BUILD)/stress $(STRESS_SECONDS) $(STRESS_SEED)

$(BUILD)/stress: $(BUILD)/obj/tests/stress.o $(ARCHIVES)
	$(if $(Q),@echo "  LINK  $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# --- oneTBB peer: harness/peers/tbb/ (docs/performance.md) ----------------------
# Built when mk/config.sh found libtbb-dev (JF_TBB in $(CONFIG_DIR)/config.mk);
# a missing TBB never blocks the build. When present:
#   TBB_OBJ   the peer's objects (peer_tbb_run, harness/peers/tbb/peer_tbb.h), compiled with $(CXX)
#             and archived into libbench.a: bench's `--strategy tbb` runs it
#   JF_TBB_LIBS  what a link of TBB_OBJ needs after the archives (TBB and libstdc++),
#             added to LIBS so that bench and the tests link it
#   -DJF_HAVE_TBB is added to ALL_CFLAGS; compile.stamp records it, so every
#   object rebuilds when the peer comes or goes.
# `make deps` installs libtbb-dev too. Never under ThreadSanitizer (mk/config.sh).
DEB_PKGS  += libtbb-dev
ifneq ($(JF_TBB),)
TBB_OBJ      := $(BUILD)/obj/harness/peers/tbb/tbb_peer.o \
                $(BUILD)/obj/harness/peers/tbb/tbb_trace.o
LIBS         += $(JF_TBB_LIBS)
TBB_CXXFLAGS  = -std=c++17 -Wall -Wextra -Wno-unused-parameter $(OPT) $(SAN_FLAGS) \
                $(JF_TBB_CFLAGS) -I. -Iinclude $(CXXFLAGS)
TBB_BIN      := $(BUILD)/mb/tbb_check $(BUILD)/mb/vs_tbb
ALL_CFLAGS   += -DJF_HAVE_TBB

$(TBB_OBJ): $(BUILD)/obj/%.o: %.cpp $(COMPILE_STAMP)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CXX   $<")
	$(Q)$(CXX) $(TBB_CXXFLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/libbench.a: $(TBB_OBJ)

$(TBB_BIN): $(BUILD)/mb/%: $(BUILD)/obj/bench/%.o $(ARCHIVES)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LINK  $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)
else
TBB_OBJ      :=
TBB_BIN      :=
endif

# --- OpenMP peer: harness/peers/omp/ (docs/performance.md) ----------------------
# Built when mk/config.sh found that $(CC) compiles and links -fopenmp
# (JF_OMP in $(CONFIG_DIR)/config.mk; GCC ships libgomp, so no package);
# never under ThreadSanitizer. Only the peer's object is compiled with
# -fopenmp; bench and the tests link libgomp. -DJF_HAVE_OMP as for TBB.
ifneq ($(JF_OMP),)
OMP_OBJ      := $(BUILD)/obj/harness/peers/omp/omp_peer.o
LIBS         += -fopenmp
ALL_CFLAGS   += -DJF_HAVE_OMP

$(OMP_OBJ): $(BUILD)/obj/%.o: %.c $(COMPILE_STAMP)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC    $<")
	$(Q)$(CC) $(ALL_CFLAGS) -fopenmp $(DEPFLAGS) -c -o $@ $<

$(BUILD)/libbench.a: $(OMP_OBJ)
else
OMP_OBJ      :=
endif

# make vs-peers [MB_REPEAT=5] [W=workload ...]: scheduled against the best of
# each peer's configurations on every built-in workload (bench/vs_peers.c).
# make vs-tbb: the same table with oneTBB's nine configurations only.
.PHONY: vs-peers vs-tbb
vs-peers: $(BUILD)/mb/vs_peers
	@JF_WORKLOADS=$(abspath workloads) $(BUILD)/mb/vs_peers $(W)

vs-tbb: $(BUILD)/mb/vs_peers
	@JF_VS_PEERS=tbb JF_WORKLOADS=$(abspath workloads) $(BUILD)/mb/vs_peers $(W)

$(BUILD)/mb/vs_peers: $(BUILD)/obj/bench/vs_peers.o $(ARCHIVES)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LINK  $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# `make deps` (asked for by name) also installs TBB when only TBB is missing;
# failing to is a warning, never an error.
.PHONY: deps-tbb
ifneq ($(filter deps,$(MAKECMDGOALS)),)
deps: deps-tbb
endif
deps-tbb:
	@if ! pkg-config --exists tbb 2>/dev/null; then \
	    echo "installing libtbb-dev (optional: the oneTBB peer)"; \
	    SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    { $$SUDO apt-get update -qq && \
	      DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libtbb-dev >/dev/null; } || \
	    echo "deps: could not install libtbb-dev; building without the oneTBB peer" >&2; \
	fi

# --- microbenchmarks: bench/mb_*.c, one program per figure (docs/performance.md) ---
#   make microbench              build and run them all (about a minute on a quiet machine)
#   make microbench MB_SCALE=0.1 a quick pass with shorter runs (noisier figures)
# Each prints its figures and the machine, date and load; none asserts a time.
# With TBB: tbb_check (the peer runs bottleneck, items and order checked) and
# vs_tbb (scheduled vs oneTBB on four workloads, median of 5) run last.
MB_SRC    := $(sort $(wildcard bench/mb_*.c))
MB_BIN    := $(MB_SRC:bench/%.c=$(BUILD)/mb/%)

# The commit the binaries report (bench --version, result.json's context,
# microbenchmark headers): commit.stamp changes only when `git describe`
# does, so only the objects that print it rebuild after a commit.
$(BUILD)/obj/harness/context.o $(BUILD)/obj/harness/bench.o \
        $(MB_SRC:%.c=$(BUILD)/obj/%.o): $(COMMIT_STAMP)

.PHONY: microbench
microbench: $(MB_BIN) $(TBB_BIN)
	@set -e; for b in $(MB_BIN) $(TBB_BIN); do \
	    JF_WORKLOADS=$(abspath workloads) $(if $(MB_SCALE),MB_SCALE=$(MB_SCALE)) $$b; \
	done

$(MB_BIN): $(BUILD)/mb/%: $(BUILD)/obj/bench/%.o $(ARCHIVES)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LINK  $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# --- install: make install [PREFIX=/usr/local] [DESTDIR=] ------------------------
# The headers, libjefferson (static, shared with its soname and development
# links), jefferson.pc for pkg-config, bench as jefferson-bench with its man
# page, and the workload files bench finds beside it (../share/jefferson).
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
PC_DIR      = $(DESTDIR)$(LIBDIR)/pkgconfig

$(BUILD)/jefferson.pc: mk/jefferson.pc.in include/jefferson/version.h FORCE
	@sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))|' \
	     -e 's|@INCLUDEDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))|' \
	     -e 's|@VERSION@|$(VERSION)|' mk/jefferson.pc.in >$@.tmp && \
	 { cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }

install: all $(BUILD)/jefferson.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/jefferson/workloads \
	    $(DESTDIR)$(INCLUDEDIR)/jefferson $(DESTDIR)$(LIBDIR) $(PC_DIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/bench $(DESTDIR)$(BINDIR)/jefferson-bench
	install -m 644 workloads/*.json $(DESTDIR)$(DATADIR)/jefferson/workloads/
	install -m 644 include/jefferson/*.h $(DESTDIR)$(INCLUDEDIR)/jefferson/
	install -m 644 $(BUILD)/libjefferson.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SO_REAL) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SO_REAL)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libjefferson.so
	install -m 644 $(BUILD)/jefferson.pc $(PC_DIR)/
	install -m 644 docs/bench.1 $(DESTDIR)$(MANDIR)/man1/jefferson-bench.1

# Removes what install put there (and the directories it made, when empty).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/jefferson-bench $(DESTDIR)$(MANDIR)/man1/jefferson-bench.1 \
	    $(addprefix $(DESTDIR)$(LIBDIR)/,libjefferson.a libjefferson.so $(SONAME) \
	        $(notdir $(SO_REAL))) $(PC_DIR)/jefferson.pc
	rm -f $(patsubst include/%,$(DESTDIR)$(INCLUDEDIR)/%,$(wildcard include/jefferson/*.h))
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/jefferson/,$(wildcard workloads/*.json))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/jefferson $(DESTDIR)$(DATADIR)/jefferson/workloads \
	    $(DESTDIR)$(DATADIR)/jefferson 2>/dev/null

# --- examples: examples/ built against an installed libjefferson ------------------
# Installs into a temporary DESTDIR, builds examples/ there with pkg-config alone
# (PKG_CONFIG_SYSROOT_DIR, no -I into this tree), statically and against the
# shared library, and runs each under every strategy (mk/examples-check.sh).
.PHONY: examples-check
examples-check: all
	@CC='$(CC)' MAKE='$(MAKE)' mk/examples-check.sh

clean:
	rm -rf build

.SECONDARY:

# --- fuzzing: clang libFuzzer targets in tests/fuzz/ (docs/fuzzing.md) ---------
#   make fuzz-build               build every target into build/fuzz/
#   make fuzz-regress             run each target once over its seeds and regressions
#   make fuzz [FUZZ_SECONDS=30]   fuzz-regress, then fuzz each target for FUZZ_SECONDS
# Needs clang with libFuzzer (Debian: clang-14 libclang-rt-14-dev); FUZZ_CC=... to pick one.
# Crashes go to build/fuzz/artifacts/<target>/, new inputs to build/fuzz/corpus/<target>/.
# One name per `command -v`: dash's looks at its first argument only, so a
# machine with clang-14 but no `clang` found neither.
FUZZ_CC      ?= $(firstword $(foreach c,clang clang-14,$(shell command -v $(c) 2>/dev/null)) clang)
FUZZ_SECONDS ?= 30
FUZZ_DIR     := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = $(STD) $(WARN) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) \
                -DJF_COMMIT='"$(COMMIT)"' -DJF_CFLAGS='"fuzz"' -I. -Iinclude $(CFLAGS)
# The fuzz build has no OpenMP peer (its objects are the library's and
# bench's, compiled by FUZZ_CC without -DJF_HAVE_OMP): nothing to link for it,
# and clang's OpenMP runtime need not be installed.
FUZZ_LIBS     = $(filter-out -fopenmp,$(LIBS))
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)
FUZZ_OBJ     := $(LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o) $(BENCH_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
# -close_fd_mask=3: the code under test may print (bench's error lines);
# libFuzzer and the sanitizers keep reporting on a copy of stderr.
FUZZ_OPTS    := -timeout=5 -rss_limit_mb=2048 -close_fd_mask=3

.PHONY: fuzz fuzz-build fuzz-regress fuzz-check
fuzz-build: fuzz-check $(FUZZ_BIN)

fuzz-check:
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' | \
	    $(FUZZ_CC) -x c -fsanitize=fuzzer,address,undefined -o /dev/null - 2>/dev/null || \
	    { echo "fuzz: '$(FUZZ_CC) -fsanitize=fuzzer' does not link: install clang-14 and" \
	           "libclang-rt-14-dev (or set FUZZ_CC)" >&2; exit 2; }

$(FUZZ_OBJ) $(FUZZ_TARGETS:%=$(FUZZ_DIR)/obj/tests/fuzz/%.o): $(FUZZ_DIR)/obj/%.o: %.c $(COMPILE_STAMP)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  FZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(FUZZ_DIR)/obj/gen/timeline_js.o: $(TL_C) $(COMPILE_STAMP)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  FZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(FUZZ_DIR)/libjefferson.a: $(FUZZ_OBJ) $(FUZZ_DIR)/obj/gen/timeline_js.o
	$(if $(Q),@echo "  AR    $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_BIN): $(FUZZ_DIR)/%: $(FUZZ_DIR)/obj/tests/fuzz/%.o $(FUZZ_DIR)/libjefferson.a
	$(if $(Q),@echo "  LINK  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(FUZZ_LIBS)

# Every seed and regression input once per target; a target stops at its first crash,
# leak or timeout (the input is named), the others still run. JF_FUZZ_LAX=1 tolerates
# the open bugs of docs/fuzzing.md.
fuzz-regress: fuzz-build
	@failed=; for t in $(FUZZ_TARGETS); do \
	    files=$$(find tests/fuzz/corpus/$$t tests/fuzz/regressions/$$t -type f 2>/dev/null | sort); \
	    [ -n "$$files" ] || continue; \
	    echo "fuzz-regress: $$t: $$(echo "$$files" | wc -l) inputs"; \
	    $(FUZZ_DIR)/$$t $(FUZZ_OPTS) $$files >$(FUZZ_DIR)/$$t.regress.log 2>&1 && continue; \
	    grep -E 'ERROR|SUMMARY|#[0-9]+ 0x.* in (LLVMFuzzerTestOneInput|check_|jf_)' \
	        $(FUZZ_DIR)/$$t.regress.log | head -n 8; \
	    echo "fuzz-regress: $$t failed on $$(grep '^Running: ' $(FUZZ_DIR)/$$t.regress.log | \
	        tail -n 1 | cut -c10-) (log: $(FUZZ_DIR)/$$t.regress.log)" >&2; \
	    failed="$$failed $$t"; \
	done; \
	[ -z "$$failed" ] || { echo "fuzz-regress: failed:$$failed" >&2; exit 1; }

fuzz: fuzz-regress
	@set -e; for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/artifacts/$$t; \
	    dict=; [ ! -f tests/fuzz/$$t.dict ] || dict=-dict=tests/fuzz/$$t.dict; \
	    echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	    $(FUZZ_DIR)/$$t $(FUZZ_OPTS) $$dict -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_DIR)/artifacts/$$t/ $(FUZZ_DIR)/corpus/$$t \
	        $$(ls -d tests/fuzz/corpus/$$t 2>/dev/null) >$(FUZZ_DIR)/$$t.log 2>&1 || \
	        { tail -n 60 $(FUZZ_DIR)/$$t.log; echo "fuzz: $$t failed, see $(FUZZ_DIR)/artifacts/$$t/" >&2; exit 1; }; \
	    grep -E '^(Done|stat::number_of_executed_units)' $(FUZZ_DIR)/$$t.log | tr '\n' ' '; echo; \
	done

-include $(shell find $(FUZZ_DIR)/obj -name '*.d' 2>/dev/null)

-include $(shell find $(BUILD)/obj $(BUILD)/pic -name '*.d' 2>/dev/null)

# --- browser test: tests/browser/ (README, "Building and testing") ---------------
#   make browser-test   two short runs, their index.html and SVGs in headless Chromium
# Installs Debian's chromium when missing and puppeteer-core (pinned by
# tests/browser/package-lock.json) from the npm registry when node_modules is.
# Screenshots at 1600 and 900 px go to build/browser/.
CHROMIUM ?= /usr/bin/chromium
.PHONY: browser-test browser-deps
browser-deps:
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
	    echo "installing nodejs npm"; \
	    SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	@if [ ! -x $(CHROMIUM) ]; then \
	    echo "installing chromium"; \
	    SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	        chromium >/dev/null; \
	fi
	@if [ ! -d tests/browser/node_modules ]; then \
	    echo "installing puppeteer-core (tests/browser/package-lock.json)"; \
	    cd tests/browser && npm ci --no-audit --no-fund --loglevel=error; \
	fi

browser-test: $(BUILD)/bench browser-deps
	@BENCH=$(BUILD)/bench CHROMIUM=$(CHROMIUM) tests/browser/run.sh
