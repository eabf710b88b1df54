import sys

from archdoc.cli import main

sys.exit(main())
