print("running on", DEVICE)
