"""Developer tools: run as scripts from the repository root."""
