"""`python -m bench` runs every benchmark (see bench/README.md)."""

from bench.knowledge_bench import main

main()
