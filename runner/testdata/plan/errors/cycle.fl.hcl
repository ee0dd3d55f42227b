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

scenario "loop" {
  cloud = cloud.lab
  step "a" {
    stop  = service.db
    after = [step.c]
  }
  step "b" { start = service.db }
  step "c" { stop = service.db }
}
