.PHONY: demo test lint bench docs

demo:  ## run the example project with /mcp/ live on a seeded SQLite database
	bash scripts/demo.sh

test:  ## run the whole test suite (installs what it needs)
	bash scripts/test.sh

bench:
	bash bench/run.sh

docs:
	.venv/bin/mkdocs serve
