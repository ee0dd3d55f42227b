cloud "a" {
  node "n1" {
    address = "198.18.0.11"
  }
  service "memcached" {
    driver = "system_service"
  }
}

cloud "b" {
  node "n2" {
    address = "198.18.0.12"
  }
}

probe "mc" {
  service_state {
    service = service.memcached
  }
}

scenario "on-b" {
  cloud = cloud.b
  steady_state {
    probes = [probe.mc] # ERROR: Probe object not in cloud
  }
  step "reboot" {
    reboot = one()
  }
  wait "w" {
    until   = probe.mc.ok
    timeout = "1m"
  }
}
