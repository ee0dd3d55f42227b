# A DevStack all-in-one: the preset declares the 20 DevStack services.
cloud "devstack" {
  driver = "devstack"
  auth {
    username = "stack"
    become   = true
  }
  node "aio" {
    address = "198.18.0.50"
  }
}

probe "nova" {
  http {
    url = "http://198.18.0.50/compute/v2.1"
  }
}

scenario "nova-api-restart" {
  cloud = cloud.devstack

  steady_state {
    probes = [probe.nova]
  }

  step "restart" {
    restart = service.nova-api
  }

  wait "back" {
    until   = probe.nova.ok
    timeout = "2m"
  }

  step "mysql" {
    stop     = service.mysql
    duration = "10s"
  }
}
