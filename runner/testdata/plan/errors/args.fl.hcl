cloud "lab" {
  node "n1" {
    address = "198.18.7.41"
    labels  = { role = "db" }
  }
  node "n2" {
    address = "198.18.7.42"
    power   = power.virt
  }
  network "mgmt" { iface = "eth1" }
  service "db" {
    driver       = "system_service"
    hosts        = ["n1"]
    service_name = "postgres"
  }
  power "virt" {
    driver = "libvirt"
    uri    = "qemu:///system"
  }
}

scenario "args" {
  cloud = cloud.lab
  step "unknown-arg" {
    stress   = all()
    duration = "10s"
    cpus     = 2
  }
  step "bad-type" {
    stress   = all()
    duration = "10s"
    cpu      = "lots"
  }
  step "missing-required" { exec = one() }
  step "no-duration-allowed" {
    stop     = service.db
    duration = "5s"
  }
  step "duration-required" { stress = all() }
  step "bad-duration-arg" {
    delay   = network.mgmt
    latency = "soon"
  }
}
