namespace Timonel.IntegrationTests.Node;

/// <summary>
/// The official Python client inside a pod on a real node (timonel.test/python-kubernetes:1 from the test image kit):
/// its in-cluster config reads the mounted service-account token and CA and the KUBERNETES_SERVICE_HOST/PORT the
/// kubelet sets, reaches the API through the kubernetes Service (10.43.0.1:443) and is allowed or refused by RBAC as
/// the service account's bindings say; the pod resolves kubernetes.default.svc through the cluster DNS.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed class InClusterPythonClientTests(RealNodeFixture node)
{
    private const string Image = "timonel.test/python-kubernetes:1";

    private Kubectl Kubectl => node.Kubectl;

    [SkippableFact]
    public async Task WithARoleBindingThatAllowsListingPods_TheClientListsThePodsOfItsNamespace()
    {
        var ns = await StartAsync();
        var rbac = $"""
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: pod-lister
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: pod-reader
            rules:
            - apiGroups: [""]
              resources: ["pods"]
              verbs: ["get", "list"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: pod-lister-reads-pods
            subjects:
            - kind: ServiceAccount
              name: pod-lister
              namespace: {ns}
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Role
              name: pod-reader
            """;
        (await Kubectl.RunWithInputAsync(rbac, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        // A neighbour, so the count the client prints is not just the client itself.
        (await Kubectl.RunAsync("run", "neighbour", "-n", ns, "--image=busybox", "--image-pull-policy=IfNotPresent", "--restart=Never", "--", "sleep", "3600")).EnsureSuccess();

        var log = await RunClientAsync(ns, "lister", "pod-lister", "Succeeded");

        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["kubernetes.default.svc 10.43.0.1", "2"], lines);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task WithoutABinding_TheClientIsForbidden()
    {
        var ns = await StartAsync();

        var log = await RunClientAsync(ns, "lister", "default", "Failed");

        Assert.Contains("kubernetes.default.svc 10.43.0.1", log, StringComparison.Ordinal);
        Assert.Contains("(403)", log, StringComparison.Ordinal);
        Assert.Contains("Reason: Forbidden", log, StringComparison.Ordinal);
        Assert.Contains($"pods is forbidden: User \\\"system:serviceaccount:{ns}:default\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"{ns}\\\"", log, StringComparison.Ordinal);
        await DeleteNamespaceAsync(ns);
    }

    private async Task<string> StartAsync()
    {
        Skip.If(node.SkipReason is not null, node.SkipReason);
        return await node.CreateNamespaceAsync();
    }

    /// <summary>
    /// Runs the client in a pod under the service account until the pod reaches the phase (Succeeded or Failed) and
    /// returns its log: first how kubernetes.default.svc resolved, then the number of pods it listed or its error.
    /// </summary>
    private async Task<string> RunClientAsync(string ns, string name, string serviceAccount, string phase)
    {
        var pod = $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{name}}
            spec:
              serviceAccountName: {{serviceAccount}}
              restartPolicy: Never
              containers:
              - name: python
                image: {{Image}}
                imagePullPolicy: IfNotPresent
                command:
                - python3
                - -c
                - |
                  import socket
                  print("kubernetes.default.svc", socket.gethostbyname("kubernetes.default.svc"), flush=True)
                  from kubernetes import client, config
                  config.load_incluster_config()
                  print(len(client.CoreV1Api().list_namespaced_pod("{{ns}}").items))
            """;
        (await Kubectl.RunWithInputAsync(pod, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        // The first start compiles the client's modules (the image carries no .pyc): a minute on a loaded machine.
        var finished = "";
        for (var deadline = DateTime.UtcNow.AddMinutes(5); DateTime.UtcNow < deadline && finished is not ("Succeeded" or "Failed"); await Task.Delay(1000))
        {
            finished = (await Kubectl.RunAsync("get", "pod", name, "-n", ns, "-o", "jsonpath={.status.phase}")).Stdout;
        }

        var log = await Kubectl.RunAsync("logs", name, "-n", ns);
        Assert.True(finished == phase, $"the pod ended {finished}, not {phase}:\n{log}\n{(await Kubectl.RunAsync("describe", "pod", name, "-n", ns)).Stdout}");
        return log.EnsureSuccess().Stdout;
    }

    private async Task DeleteNamespaceAsync(string ns) =>
        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();
}
