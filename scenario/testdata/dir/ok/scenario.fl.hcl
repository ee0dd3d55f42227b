locals { kill_count = 1 }

scenario "kill" {
  cloud = cloud.lab
  step "kill" {
    kill  = service.memcached
    nodes = count(local.kill_count)
  }
}
