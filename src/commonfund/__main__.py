from commonfund.cli import main

main()
