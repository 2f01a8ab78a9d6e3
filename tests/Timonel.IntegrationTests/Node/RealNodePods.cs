namespace Timonel.IntegrationTests.Node;

/// <summary>Pods on the shared real node for end-to-end tests: a namespace of the test's own, pods applied and waited for, values polled.</summary>
public sealed class RealNodePods(RealNodeFixture node)
{
    public Kubectl Kubectl => node.Kubectl;

    /// <summary>Skips the test when the machine runs no real node; else a new namespace for it.</summary>
    public async Task<string> StartAsync()
    {
        Skip.If(node.SkipReason is not null, node.SkipReason);
        return await node.CreateNamespaceAsync();
    }

    /// <summary>
    /// A pod spec whose container echoes each line of its stdin as got:LINE; stdinOnce, so the container's stdin ends
    /// with the first attach's, and the loop and the attach finish.
    /// </summary>
    private const string StdinEchoPod = """
        restartPolicy: Never
        containers:
        - name: main
          image: busybox
          imagePullPolicy: IfNotPresent
          stdin: true
          stdinOnce: true
          command: ["sh", "-c", "while read line; do echo got:$line; done"]
        """;

    /// <summary>Applies a pod with <paramref name="spec"/> (after terminationGracePeriodSeconds: 1); waits until it is Ready unless told not to.</summary>
    public async Task ApplyPodAsync(string ns, string name, string spec, string labels = "", bool waitReady = true)
    {
        var indented = string.Join('\n', spec.Split('\n').Select(line => line.Length == 0 ? line : "  " + line));
        var manifest = $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels: {{{labels}}}\nspec:\n  terminationGracePeriodSeconds: 1\n{indented}\n";
        (await Kubectl.RunWithInputAsync(manifest, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        if (waitReady)
        {
            await WaitAsync(ns, "pod/" + name, "condition=Ready");
        }
    }

    /// <summary>Attaches <paramref name="kubectl"/> to a new <see cref="StdinEchoPod"/> with "hello" as input; answers kubectl's output.</summary>
    public async Task<string> AttachToEchoPodAsync(Kubectl kubectl)
    {
        var ns = await StartAsync();
        await ApplyPodAsync(ns, "echo", StdinEchoPod);
        var result = await kubectl.RunWithInputAsync("hello\n", "attach", "-i", "echo", "-n", ns);
        await DeleteNamespaceAsync(ns);
        return result.Stdout;
    }

    public async Task WaitAsync(string ns, string target, string condition)
    {
        var result = await Kubectl.RunAsync("wait", "-n", ns, target, "--for=" + condition, "--timeout=60s");
        if (result.ExitCode != 0)
        {
            var pods = await Kubectl.RunAsync("describe", "pods", "-n", ns);
            Assert.Fail($"{target} not {condition}: {result}\n{pods.Stdout}");
        }
    }

    public async Task<string> ReadAsync(string ns, string kind, string name, string output) =>
        (await Kubectl.RunAsync("get", kind, name, "-n", ns, "-o", output)).Stdout;

    /// <summary>The messages of the events about one object, oldest first, one a line.</summary>
    public async Task<string> EventMessagesAsync(string ns, string name) =>
        (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "involvedObject.name=" + name, "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}")).Stdout;

    public async Task DeleteNamespaceAsync(string ns) =>
        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();

    /// <summary>Polls until the value satisfies the check (at most 60 s); answers the last value read.</summary>
    public static async Task<string> EventuallyAsync(Func<Task<string>> read, Func<string, bool> check)
    {
        var value = "";
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            value = await read();
            if (check(value))
            {
                return value;
            }
        }

        return value;
    }
}
