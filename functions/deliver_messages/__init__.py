from helpcenter import coldstart

coldstart.begin()  # before any other import of this function: no garbage collection during init
