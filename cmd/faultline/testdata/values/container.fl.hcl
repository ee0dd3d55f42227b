# Container arguments and configs the docker_container driver refuses.
# Every line marked `# want:COL SUMMARY` must get exactly that error at
# that column from `faultline validate`; no other line any.
cloud "lab" {
  driver = "universal"

  node "n1" { address = "198.18.230.41" }

  container "api" {
    driver         = "docker_container"
    container_name = "api"
    hosts          = ["n1"]
  }
  container "lxc" {
    driver         = "docker_container"
    container_name = "web"
    cli            = "lxc" # want:22 Invalid attribute value
  }
  container "option" {
    driver         = "docker_container"
    container_name = "--privileged" # want:22 Invalid attribute value
  }
}

scenario "container-values" {
  cloud = cloud.lab

  step "option-network" {
    unplug  = container.api
    network = "--net=host" # want:15 Invalid argument value
  }
  step "spaced-network" {
    plug    = container.api
    network = "my net" # want:15 Invalid argument value
  }
}
