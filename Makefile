# Kabinet: the two commands a newcomer needs (see README).
.PHONY: run test build lint e2e bench clean

# Installs what is missing, builds the release and serves the portal in development mode
# on the embedded SQLite database under ./data.
run:
	@scripts/run.sh

# Installs what is missing and runs every test: formatting, lints (server and browser
# builds), unit and integration tests (SQLite; PostgreSQL when KABINET_TEST_PG_URL is set)
# and the browser tests against one release build.
test:
	@scripts/test.sh

build:
	@scripts/setup.sh run
	@scripts/build.sh

lint:
	@scripts/test.sh lint

e2e:
	@scripts/test.sh e2e

# Benchmarks that print figures and one summary table (see bench/README.md): size, load
# (saturation, 70 % load, SQLite vs PostgreSQL, sign-in, overload) and Lighthouse. Fails when
# the WASM is over its budget or the overload brought errors other than 503.
# KABINET_BENCH_MILLION=1 adds the main page on 1,000,000 accounts (a long generation).
bench:
	@bench/all.sh

clean:
	cargo clean
	rm -rf end2end/node_modules end2end/test-results
