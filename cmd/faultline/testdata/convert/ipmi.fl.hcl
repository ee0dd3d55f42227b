# Hand-written equivalent of scenario/osfaults/testdata/ipmi.yaml.
variable "ssh_password" {
  type      = string
  sensitive = true
}
variable "ipmi_password" {
  type      = string
  sensitive = true
}
variable "ipmi_2_password" {
  type      = string
  sensitive = true
}

cloud "ipmi" {
  driver = "universal"
  auth {
    username = "user1"
    password = var.ssh_password
    become   = true
  }
  jump "bastion" {
    address = "10.0.0.52"
    auth {
      username         = "ubuntu"
      private_key_file = "/path/to/file"
    }
  }
  node "node1" {
    address = "10.0.0.51"
    fqdn    = "node1.local"
    mac     = "aa:bb:cc:dd:ee:01"
    power   = power.ipmi
  }
  node "node2" {
    address = "192.168.1.50"
    fqdn    = "node2.local"
    mac     = "aa:bb:cc:dd:ee:02"
    power   = power.ipmi-2
  }
  node "node3" {
    address = "192.168.1.51"
    fqdn    = "node3.local"
    power   = power.ipmi
  }
  service "app" {
    driver        = "process"
    grep          = "my_app"
    start_cmd     = "/bin/my_app"
    terminate_cmd = "/bin/stop_my_app"
    restart_cmd   = "/bin/my_app --restart"
    port          = 4242
  }
  service "keystone" {
    driver        = "process"
    hosts         = ["node2"]
    grep          = "keystone-all"
    start_cmd     = "salt-call --local --retcode-passthrough service.start keystone"
    terminate_cmd = "salt-call --local --retcode-passthrough service.stop keystone"
    restart_cmd   = "salt-call --local --retcode-passthrough service.restart keystone"
  }
  power "ipmi" {
    driver   = "ipmi"
    username = "admin1"
    password = var.ipmi_password
    units    = { node1 = "170.0.10.50", node3 = "170.0.10.52" }
  }
  power "ipmi-2" {
    driver   = "ipmi"
    username = "admin2"
    password = var.ipmi_2_password
    units    = { node2 = "170.0.10.51" }
  }
}
