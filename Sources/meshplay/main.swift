print("meshplay")
