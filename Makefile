.PHONY: demo test lint bench fuzz docs

demo:  ## run the example project with /mcp/ live on a seeded SQLite database
	bash scripts/demo.sh

test:  ## run the whole test suite (installs what it needs)
	bash scripts/test.sh

bench:
	bash bench/run.sh

fuzz:  ## 10,000 generated JSON-RPC bodies: no 500, no traceback, no write
	.venv/bin/python bench/fuzz.py

docs:
	.venv/bin/mkdocs serve
