from trailmix.cli import main

main()
