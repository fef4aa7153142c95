"""Run the command line: ``python -m revtrack``."""

from revtrack._cli import main

if __name__ == "__main__":
    main()
