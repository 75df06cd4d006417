"""The preview's render process, without Qt: render jobs, the row cache, the message format and the process's main loop."""
