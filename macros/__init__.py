def define_env(env): pass
