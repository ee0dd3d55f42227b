# "restart neutron_api container on one node": containers are driven with
# the docker CLI over SSH on the nodes that run them.

cloud "kolla" {
  driver = "universal"

  auth {
    username         = "root"
    private_key_file = "kolla_key"
    known_hosts      = "./known_hosts"
  }

  node "ctl-1" { address = "198.18.203.11" }
  node "ctl-2" { address = "198.18.203.12" }

  container "neutron_api" {
    driver         = "docker_container"
    container_name = "neutron_api"
    hosts          = ["ctl-1", "ctl-2"]
  }
}

scenario "restart-neutron-api" {
  cloud = cloud.kolla
  seed  = 3

  step "restart" {
    restart = container.neutron_api
    nodes   = one()
  }
}
