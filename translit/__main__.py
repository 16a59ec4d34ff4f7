from translit.cli.main import main

main()
