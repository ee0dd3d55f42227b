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

scenario "targets" {
  cloud = cloud.lab
  step "nobody" { reboot = with_label("role", "web") }
  step "too-many" { reboot = count(5) }
  step "not-a-host" {
    stop  = service.db
    nodes = nodes("n2")
  }
  step "ghost" { reboot = nodes("n9") }
  step "unpowered" { poweroff = all() }
}
