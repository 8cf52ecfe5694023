from civaudit.cli import run

run()
