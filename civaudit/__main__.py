from civaudit.cli import main

main()
