from scoring.launch import main

main()
