import resource
resource.setrlimit(resource.RLIMIT_AS,
                   (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
print('unlimited')
