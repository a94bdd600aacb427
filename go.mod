module github.com/kubesim/kubesim

go 1.26

require (
	github.com/google/btree v1.1.3
	github.com/stretchr/testify v1.12.1
)

require pgregory.net/rapid v1.3.0 // indirect

require (
	github.com/robfig/cron/v3 v3.0.1
	go.yaml.in/yaml/v2 v2.4.2 // indirect
	go.yaml.in/yaml/v3 v3.0.5
	sigs.k8s.io/yaml v1.6.0 // indirect
)
