using System.Text.RegularExpressions;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// The cluster DNS as pods use it on a real node: busybox's <c>nslookup</c> and the C library's resolver (getaddrinfo,
/// through Python's socket module in a second container of the same pod) ask the nameserver the kubelet wrote into
/// the pod's resolv.conf (kube-dns' cluster IP, reached through the Service proxy's rules at the DNS's listen address)
/// for the examples' Service and a StatefulSet pod by the names upstream gives them; other names go to the host's
/// resolvers; a pod with dnsPolicy Default gets the host's resolv.conf.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed partial class ClusterDnsFromPodsTests(RealNodeFixture node)
{
    private const string ClusterDnsIp = "10.43.0.10";

    private Kubectl Kubectl => node.Kubectl;

    [SkippableFact]
    public async Task Example06_TheServiceResolvesToItsClusterIp_ByItsShortNamespacedAndFullName()
    {
        var ns = await StartWithClientAsync(dnsPolicy: null);
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("06-service-clusterip.yaml"))).EnsureSuccess();
        var clusterIp = (await Kubectl.RunAsync("get", "service", "hello", "-n", ns, "-o", "jsonpath={.spec.clusterIP}")).EnsureSuccess().Stdout;
        string[] names = ["hello", $"hello.{ns}", $"hello.{ns}.svc.cluster.local"];

        var resolvConf = (await Kubectl.RunAsync("exec", "client", "-c", "busybox", "-n", ns, "--", "cat", "/etc/resolv.conf")).EnsureSuccess().Stdout;
        // busybox's nslookup applies the search domains to a name without dots only (it ignores ndots), so
        // "hello.NS" is asked of the C library's resolver, which applies them as any program's lookup does.
        var nslookup = new Dictionary<string, string>();
        foreach (var name in new[] { names[0], names[2] })
        {
            nslookup[name] = await NslookupAsync(ns, name);
        }

        var getaddrinfo = new Dictionary<string, string>();
        foreach (var name in names)
        {
            getaddrinfo[name] = await GetAddrInfoAsync(ns, name);
        }

        Assert.Contains($"nameserver {ClusterDnsIp}", resolvConf, StringComparison.Ordinal);
        Assert.Contains($"search {ns}.svc.cluster.local svc.cluster.local cluster.local", resolvConf, StringComparison.Ordinal);
        Assert.Contains("options ndots:5", resolvConf, StringComparison.Ordinal);
        Assert.All(nslookup, answer =>
        {
            Assert.True(AnsweredBy(answer.Value) == ClusterDnsIp, $"{answer.Key}: {answer.Value}");
            Assert.True(Name(answer.Value) == $"hello.{ns}.svc.cluster.local", $"{answer.Key}: {answer.Value}");
            Assert.True(Addresses(answer.Value).SequenceEqual([clusterIp]), $"{answer.Key} should give {clusterIp}: {answer.Value}");
        });
        Assert.All(getaddrinfo, answer => Assert.True(answer.Value == $"hello.{ns}.svc.cluster.local {clusterIp}", $"{answer.Key} should give {clusterIp}: {answer.Value}"));
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Example05_AStatefulSetPodResolvesByItsNameUnderItsHeadlessService()
    {
        var ns = await StartWithClientAsync(dnsPolicy: null);
        // examples/05-statefulset.yaml names serviceName my-frontend without defining it: the governing headless
        // Service the StatefulSet documentation pairs it with.
        const string Governing = """
            apiVersion: v1
            kind: Service
            metadata:
              name: my-frontend
            spec:
              clusterIP: None
              selector:
                app: mypod
              ports:
              - name: web
                port: 80
            """;
        (await Kubectl.RunWithInputAsync(Governing, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("05-statefulset.yaml"))).EnsureSuccess();
        var rollout = await Kubectl.RunAsync("rollout", "status", "statefulset/my-csi-app-set", "-n", ns, "--timeout=120s");
        Assert.True(rollout.ExitCode == 0, rollout.ToString());
        var podIp = (await Kubectl.RunAsync("get", "pod", "my-csi-app-set-0", "-n", ns, "-o", "jsonpath={.status.podIP}")).EnsureSuccess().Stdout;
        var fullName = $"my-csi-app-set-0.my-frontend.{ns}.svc.cluster.local";

        // The endpoint reaches the DNS's cache after the pod is Ready (endpoint slice, then informer): asked again
        // until it answers, as a client retrying would.
        var answer = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && !Addresses(answer).Contains(podIp); await Task.Delay(500))
        {
            answer = await NslookupAsync(ns, fullName);
        }

        var service = await NslookupAsync(ns, $"my-frontend.{ns}.svc.cluster.local");
        var relative = await GetAddrInfoAsync(ns, "my-csi-app-set-0.my-frontend");

        Assert.True(Addresses(answer).SequenceEqual([podIp]), $"{fullName} should give {podIp}: {answer}");
        Assert.Equal($"{fullName} {podIp}", relative);
        Assert.True(Addresses(service).SequenceEqual([podIp]), $"the headless service should give its ready pod {podIp}: {service}");
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task ANameTheHostsResolverDoesNotKnow_AnswersNxdomain_WithoutHanging()
    {
        var ns = await StartWithClientAsync(dnsPolicy: null);

        // Fewer dots than ndots: the search domains are tried first (the cluster zone answers those), then the name
        // as it is, forwarded to the host's resolvers. A hang would end in busybox's timeout, not in NXDOMAIN.
        var answer = await NslookupAsync(ns, "no-such-host.timonel-e2e.example");

        Assert.Contains("NXDOMAIN", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("timed out", answer, StringComparison.Ordinal);
        Assert.Empty(Addresses(answer));
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task DnsPolicyDefault_ThePodGetsTheHostsResolvConf()
    {
        var ns = await StartWithClientAsync(dnsPolicy: "Default");
        var host = ResolverLines(await File.ReadAllTextAsync("/etc/resolv.conf"));

        var pod = ResolverLines((await Kubectl.RunAsync("exec", "client", "-c", "busybox", "-n", ns, "--", "cat", "/etc/resolv.conf")).EnsureSuccess().Stdout);

        Assert.NotEmpty(host);
        Assert.Equal(host, pod);
        await DeleteNamespaceAsync(ns);
    }

    /// <summary>
    /// A namespace with a pod "client" Ready, with the given dnsPolicy (ClusterFirst when null): a busybox container
    /// for nslookup and one of the Python image for the C library's resolver.
    /// </summary>
    private async Task<string> StartWithClientAsync(string? dnsPolicy)
    {
        Skip.If(node.SkipReason is not null, node.SkipReason);
        var ns = await node.CreateNamespaceAsync();
        var policy = dnsPolicy is null ? "" : $"\n  dnsPolicy: {dnsPolicy}";
        var client = $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: client
            spec:
              terminationGracePeriodSeconds: 1{policy}
              containers:
              - name: busybox
                image: busybox
                imagePullPolicy: IfNotPresent
                command: ["sleep", "3600"]
              - name: resolver
                image: timonel.test/python-kubernetes:1
                command: ["sleep", "3600"]
            """;
        (await Kubectl.RunWithInputAsync(client, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var ready = await Kubectl.RunAsync("wait", "pod/client", "-n", ns, "--for=condition=Ready", "--timeout=60s");
        Assert.True(ready.ExitCode == 0, ready.ToString());
        return ns;
    }

    /// <summary>busybox nslookup from the client pod, bounded so a hang shows as a timeout rather than a stuck test; stdout and stderr together.</summary>
    private async Task<string> NslookupAsync(string ns, string name)
    {
        var run = await Kubectl.RunAsync("exec", "client", "-c", "busybox", "-n", ns, "--", "timeout", "15", "nslookup", name);
        return run.Stdout + run.Stderr;
    }

    /// <summary>The canonical name and IPv4 addresses getaddrinfo gives in the client pod ("NAME IP..."), or its error.</summary>
    private async Task<string> GetAddrInfoAsync(string ns, string name)
    {
        const string Lookup = "import socket, sys\ncanonical, _, addresses = socket.gethostbyname_ex(sys.argv[1])\nprint(canonical, *sorted(addresses))";
        var run = await Kubectl.RunAsync("exec", "client", "-c", "resolver", "-n", ns, "--", "timeout", "15", "python3", "-c", Lookup, name);
        return (run.Stdout + run.Stderr).Trim();
    }

    /// <summary>The resolver the answer came from (busybox prints "Server: IP").</summary>
    private static string AnsweredBy(string nslookup) => ServerRegex().Match(nslookup) is { Success: true } match ? match.Groups[1].Value : "";

    /// <summary>The name answered (busybox prints "Name: NAME" before each address).</summary>
    private static string Name(string nslookup) => NameRegex().Match(nslookup) is { Success: true } match ? match.Groups[1].Value : "";

    /// <summary>The IPv4 addresses answered, without the server's own "Address: IP:53" line.</summary>
    private static List<string> Addresses(string nslookup) =>
        [.. AddressRegex().Matches(nslookup).Select(match => match.Groups[1].Value).Distinct()];

    /// <summary>The nameserver, search and options lines of a resolv.conf, in order, without comments.</summary>
    private static List<string> ResolverLines(string resolvConf) =>
        [.. resolvConf.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("nameserver ", StringComparison.Ordinal) || line.StartsWith("search ", StringComparison.Ordinal) || line.StartsWith("options ", StringComparison.Ordinal))];

    private async Task DeleteNamespaceAsync(string ns) =>
        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();

    [GeneratedRegex(@"^Server:\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex ServerRegex();

    [GeneratedRegex(@"^Name:\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^Address:\s+(\d+\.\d+\.\d+\.\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AddressRegex();
}
