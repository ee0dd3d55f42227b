# "kill memcached service on one node", as a scenario: the node is picked
# with the seed, so the plan shows exactly which one and a rerun hits the
# same node. The derived rollback starts memcached again.

cloud "lab" {
  driver = "universal"

  auth {
    username         = "root"
    private_key_file = "lab_key"
    known_hosts      = "./known_hosts"
  }

  node "n1" { address = "198.18.202.11" }
  node "n2" { address = "198.18.202.12" }
  node "n3" { address = "198.18.202.13" }

  service "memcached" {
    driver       = "system_service"
    service_name = "memcached"
    grep         = "^/usr/bin/memcached( |$)"
    port         = 11211
    hosts        = ["n1", "n2", "n3"]
  }
}

scenario "kill-memcached-on-one-node" {
  cloud = cloud.lab
  seed  = 42

  step "kill" {
    kill  = service.memcached
    nodes = one()
  }
}
