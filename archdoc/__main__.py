from archdoc.cli import run

run()
