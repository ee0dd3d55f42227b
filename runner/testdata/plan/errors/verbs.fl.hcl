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

scenario "verbs" {
  cloud = cloud.lab
  step "net-kill" { kill = network.mgmt }
  step "node-pause" { pause = all() }
  step "say-nonsense" { say = "kill the database softly" }
}
