# The README's two commands: `make run` and `make test`. Each installs its own system packages.
SWIFT ?= swift
KAFKA ?=
ARGS ?=

.PHONY: deps build release run demo test bench clean

deps:
	./scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Runs the monitor: against KAFKA=host:port[,host:port] when given, else the built-in simulated cluster.
run: release
ifeq ($(strip $(KAFKA)),)
	.build/release/kafka-health-monitor demo $(ARGS)
else
	.build/release/kafka-health-monitor run --kafka.bootstrap-servers=$(KAFKA) $(ARGS)
endif

# Builds everything and runs every test (unit, integration against librdkafka's mock
# cluster and KafkaSim, promtool/Alertmanager peers).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: release
	.build/release/khm-bench $(ARGS)

clean:
	rm -rf .build
