# Thin wrapper over CMake. The two commands a new user needs: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:8080
DATA_DIR ?= ./var

.PHONY: all deps test-deps build run test bench bench-products format check-format clean

all: build

deps:
	bash scripts/install-deps.sh

test-deps:
	bash scripts/install-deps.sh --test
	cd tests/shacl && (npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error)

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	mkdir -p $(DATA_DIR)
	$(BUILD_DIR)/kilde serve --demo --dev --listen $(LISTEN) --data-dir $(DATA_DIR)

test: test-deps build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: build
	bash bench/run.sh

# Benchmarks run a Release build of their own (build-release), not the RelWithDebInfo one.
bench-products: deps
	cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release
	cmake --build build-release -j $(JOBS) --target kilde
	bash bench/products/run_all.sh build-release

format:
	find src tests bench -path '*/node_modules' -prune -o \( -name '*.h' -o -name '*.cc' \) -print | xargs clang-format -i

check-format:
	find src tests bench -path '*/node_modules' -prune -o \( -name '*.h' -o -name '*.cc' \) -print | xargs clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD_DIR)
