from migfacts.cli import main

main()
