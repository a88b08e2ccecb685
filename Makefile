# jefferson - pipeline-parallel engine and visualising benchmark harness.
#
#   make            build build/libjefferson.a and build/bench
#   make test       build and run every cmocka test
#   make demo       run the default workload, print where the results went
#   make sanitize   run the tests under ASan+UBSan, the concurrency tests under TSan
#   make stress     random workloads, strategies and faults for STRESS_SECONDS (60)
#   make deps       install missing Debian packages
#   make SANITIZER=address|undefined|thread   build with a sanitizer (into build/<san>/)
#   make V=1        show the commands

PKGS      := libxml-2.0 libcjson hwloc cmocka
DEB_PKGS  := libxml2-dev libcjson-dev libhwloc-dev libcmocka-dev pkg-config
PREFIX    ?= /usr/local
VERSION   := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)

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

ALL_CFLAGS  = $(STD) $(WARN) $(OPT) $(SAN_FLAGS) $(PKG_CFLAGS) -DJF_VERSION='"$(VERSION)"' \
              -DJF_CFLAGS='"$(strip $(OPT) $(SAN_FLAGS) $(CFLAGS))"' -I. $(CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)
LIBS        = $(PKG_LIBS) -lpthread -lm

LIB_SRC   := $(wildcard core/*.c workloads/*.c viz/*.c) $(filter-out harness/main.c,$(wildcard harness/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC  := $(wildcard tests/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# Tests that start threads: run again under ThreadSanitizer by `make sanitize`.
CONC_TESTS := test_queue test_pipeline test_failure

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all deps test demo sanitize check-sanitize clean install tsan-test stress
all: deps $(BUILD)/bench

deps:
	@if ! pkg-config --exists $(PKGS) 2>/dev/null; then \
	    echo "installing $(DEB_PKGS)"; \
	    SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PKGS) >/dev/null; \
	fi

$(BUILD)/libjefferson.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  AR    $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/bench: $(BUILD)/obj/harness/main.o $(BUILD)/libjefferson.a
	$(if $(Q),@echo "  LINK  $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC    $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(BUILD)/libjefferson.a
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LINK  $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# Tests find the built bench and the workloads through the environment.
TEST_ENV = JF_BENCH=$(abspath $(BUILD)/bench) JF_WORKLOADS=$(abspath workloads)

test: deps $(BUILD)/bench $(TEST_BIN)
	@$(TEST_ENV) tests/run.sh $(TEST_BIN)

demo: deps $(BUILD)/bench
	$(BUILD)/bench --workload bottleneck --cores 2

sanitize check-sanitize: deps
	$(MAKE) SANITIZER=address test
	$(MAKE) SANITIZER=thread tsan-test

tsan-test: $(BUILD)/bench $(CONC_TESTS:%=$(BUILD)/tests/%)
	@TSAN_OPTIONS=halt_on_error=1 $(TEST_ENV) tests/run.sh $(CONC_TESTS:%=$(BUILD)/tests/%)

# make stress [STRESS_SECONDS=600] [STRESS_SEED=N]: random runs with faults.
STRESS_SECONDS ?= 60
stress: deps $(BUILD)/stress
	$(TEST_ENV) $(BUILD)/stress $(STRESS_SECONDS) $(STRESS_SEED)

$(BUILD)/stress: $(BUILD)/obj/tests/stress.o $(BUILD)/libjefferson.a
	$(if $(Q),@echo "  LINK  $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/jefferson/workloads
	install -m 755 $(BUILD)/bench $(DESTDIR)$(PREFIX)/bin/jefferson-bench
	install -m 644 workloads/*.json $(DESTDIR)$(PREFIX)/share/jefferson/workloads/

clean:
	rm -rf build

.SECONDARY:

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
