"""The command-line shell: parses options, calls the core, renders results. Nothing else."""
