using System.Diagnostics;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;

namespace Timonel.IntegrationTests.Dns;

/// <summary>
/// The built-in cluster DNS of a real <c>timonel server</c>, with objects made by the real kubectl and questions asked
/// with ARSoft's client and busybox <c>nslookup</c> from the host, as a pod's resolver would ask them.
/// </summary>
public sealed class ClusterDnsTests : IClassFixture<ClusterDnsFixture>
{
    private const string Busybox = "/bin/busybox";

    private const string Manifest = """
        apiVersion: v1
        kind: Service
        metadata:
          name: hello
        spec:
          selector:
            app: hello
          ports:
          - name: http
            port: 80
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          clusterIP: None
          selector:
            app: web
          ports:
          - name: http
            port: 80
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          serviceName: web
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: nginx
                image: nginx
                ports:
                - name: http
                  containerPort: 80
        """;

    private readonly ClusterDnsFixture _fixture;

    public ClusterDnsTests(ClusterDnsFixture fixture) => _fixture = fixture;

    [SkippableFact]
    public async Task The_server_publishes_kube_dns_at_its_fixed_cluster_ip_with_the_dns_address_as_endpoint()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var service = (await _fixture.Kubectl.RunAsync("get", "service", "kube-dns", "-n", "kube-system", "-o", "jsonpath={.spec.clusterIP} {.metadata.labels.k8s-app} {.spec.ports[*].name}")).EnsureSuccess().Stdout;
        var endpoints = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await _fixture.Kubectl.RunAsync("get", "endpointslice", "kube-dns", "-n", "kube-system", "-o", "jsonpath={.endpoints[*].addresses[0]} {.ports[*].port}")).Stdout,
            text => text.Length > 0);

        Assert.Equal("10.43.0.10 kube-dns dns dns-tcp metrics", service);
        Assert.Equal($"{_fixture.Endpoint.Address} {_fixture.Endpoint.Port} {_fixture.Endpoint.Port}", endpoints);
    }

    [SkippableFact]
    public async Task A_service_answers_its_cluster_ip_srv_for_its_named_port_and_ptr_back()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceWithManifestAsync();
        var clusterIP = (await _fixture.Kubectl.RunAsync("get", "service", "hello", "-n", ns, "-o", "jsonpath={.spec.clusterIP}")).EnsureSuccess().Stdout;

        var a = await EventuallyAnswersAsync($"hello.{ns}.svc.cluster.local", RecordType.A);
        var srv = await _fixture.AskAsync($"_http._tcp.hello.{ns}.svc.cluster.local", RecordType.Srv);
        var ptr = await _fixture.AskAsync(string.Join('.', clusterIP.Split('.').Reverse()) + ".in-addr.arpa", RecordType.Ptr);
        var aaaa = await _fixture.AskAsync($"hello.{ns}.svc.cluster.local", RecordType.Aaaa);
        var missing = await _fixture.AskAsync($"nothere.{ns}.svc.cluster.local", RecordType.A);

        Assert.Equal(clusterIP, Assert.IsType<ARecord>(Assert.Single(a.AnswerRecords)).Address.ToString());
        var record = Assert.IsType<SrvRecord>(Assert.Single(srv.AnswerRecords));
        Assert.Equal((80, $"hello.{ns}.svc.cluster.local."), (record.Port, record.Target.ToString()));
        Assert.Equal($"hello.{ns}.svc.cluster.local.", Assert.IsType<PtrRecord>(Assert.Single(ptr.AnswerRecords)).PointerDomainName.ToString());
        Assert.Equal((ReturnCode.NoError, 0), (aaaa.ReturnCode, aaaa.AnswerRecords.Count));
        Assert.Equal(ReturnCode.NxDomain, missing.ReturnCode);
        Assert.IsType<SoaRecord>(Assert.Single(missing.AuthorityRecords));
    }

    [SkippableFact]
    public async Task A_headless_service_answers_its_ready_pods_and_each_statefulset_pod_its_own_name()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceWithManifestAsync();
        foreach (var name in new[] { "web-0", "web-1" })
        {
            (await SimulatedClusterFixture.WaitAsync(_fixture.Kubectl, "pod/" + name, "--for=condition=Ready", ns)).EnsureSuccess();
        }

        var podIPs = JsonDocument.Parse((await _fixture.Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "json")).EnsureSuccess().Stdout).RootElement
            .GetProperty("items").EnumerateArray().ToDictionary(p => p.GetProperty("metadata").GetProperty("name").GetString()!, p => p.GetProperty("status").GetProperty("podIP").GetString()!);

        var headless = await EventuallyAnswersAsync($"web.{ns}.svc.cluster.local", RecordType.A, count: 2);
        var web1 = await EventuallyAnswersAsync($"web-1.web.{ns}.svc.cluster.local", RecordType.A);
        var pod = await _fixture.AskAsync($"{podIPs["web-0"].Replace('.', '-')}.{ns}.pod.cluster.local", RecordType.A);

        Assert.Equal(podIPs.Values.Order(), headless.AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order());
        Assert.Equal(podIPs["web-1"], Assert.IsType<ARecord>(Assert.Single(web1.AnswerRecords)).Address.ToString());
        Assert.Equal(podIPs["web-0"], Assert.IsType<ARecord>(Assert.Single(pod.AnswerRecords)).Address.ToString());
    }

    [SkippableFact]
    public async Task Busybox_nslookup_resolves_a_service_and_a_name_only_the_upstream_resolver_knows()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        Skip.IfNot(File.Exists(Busybox), $"busybox is not installed at {Busybox}");
        var ns = await CreateNamespaceWithManifestAsync();
        var clusterIP = (await _fixture.Kubectl.RunAsync("get", "service", "hello", "-n", ns, "-o", "jsonpath={.spec.clusterIP}")).EnsureSuccess().Stdout;
        await EventuallyAnswersAsync($"hello.{ns}.svc.cluster.local", RecordType.A);

        var service = await NslookupAsync($"hello.{ns}.svc.cluster.local");
        var upstream = await NslookupAsync(ClusterDnsFixture.UpstreamName);
        var missing = await NslookupAsync($"nothere.{ns}.svc.cluster.local");

        Assert.Contains($"Address: {clusterIP}", service, StringComparison.Ordinal);
        Assert.Contains($"Address: {ClusterDnsFixture.UpstreamAnswer}", upstream, StringComparison.Ordinal);
        Assert.Contains("NXDOMAIN", missing, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_answer_too_large_for_udp_comes_truncated_and_whole_over_tcp()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = "dns-" + Guid.NewGuid().ToString("N")[..8];
        (await _fixture.Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        var endpoints = string.Join("\n", Enumerable.Range(1, 100).Select(i => $"""
              - addresses: ["10.99.{i / 250}.{i % 250 + 1}"]
                conditions:
                  ready: true
            """));
        var manifest = $"""
            apiVersion: v1
            kind: Service
            metadata:
              name: big
            spec:
              clusterIP: None
              ports:
              - name: http
                port: 80
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: big-1
              labels:
                kubernetes.io/service-name: big
            addressType: IPv4
            ports:
            - name: http
              port: 80
            endpoints:
            {endpoints}
            """;
        (await _fixture.Kubectl.RunWithInputAsync(manifest, "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        var whole = await EventuallyAnswersAsync($"big.{ns}.svc.cluster.local", RecordType.A, count: 100);
        var udp = await _fixture.AskOverUdpAsync($"big.{ns}.svc.cluster.local");

        Assert.Equal(100, whole.AnswerRecords.Count);
        Assert.True(udp.Truncated);
        Assert.True(udp.Length <= 512);
        Assert.True(udp.Answers < 100);
    }

    private async Task<string> CreateNamespaceWithManifestAsync()
    {
        var ns = "dns-" + Guid.NewGuid().ToString("N")[..8];
        (await _fixture.Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        (await _fixture.Kubectl.RunWithInputAsync(Manifest, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        return ns;
    }

    /// <summary>Asks until the answer holds <paramref name="count"/> records (the informers follow the API server a moment behind); the last answer either way.</summary>
    private async Task<DnsMessage> EventuallyAnswersAsync(string name, RecordType type, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var answer = await _fixture.AskAsync(name, type);
        while (answer.AnswerRecords.Count(r => r.RecordType == type) != count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            answer = await _fixture.AskAsync(name, type);
        }

        return answer;
    }

    private async Task<string> NslookupAsync(string name)
    {
        var start = new ProcessStartInfo(Busybox, ["nslookup", "-type=a", name, $"{_fixture.Endpoint.Address}:{_fixture.Endpoint.Port}"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
