"""Reading what users give us (payload files, cassettes, request bodies) safely: one set of limits.

Every JSON and YAML document the project reads goes through here, so a FIFO, a huge file, an
alias bomb or a 100,000-deep nesting is refused with a placed message everywhere alike.
"""
