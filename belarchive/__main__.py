from belarchive.cli import run

run()
