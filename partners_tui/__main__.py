from partners_tui.cli import main

main()
