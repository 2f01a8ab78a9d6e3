using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Testing.Cri;

/// <summary>A pod sandbox in <see cref="FakeContainerRuntime"/>.</summary>
public sealed class FakeSandbox
{
    public FakeSandbox(string id, PodSandboxConfig config, string ip, long createdAt)
    {
        Id = id;
        Config = config;
        Ip = ip;
        CreatedAt = createdAt;
    }

    public string Id { get; }

    public PodSandboxConfig Config { get; }

    public string Ip { get; }

    public long CreatedAt { get; }

    public PodSandboxState State { get; set; } = PodSandboxState.SandboxReady;

    public string PodUid => Config.Metadata?.Uid ?? "";

    public PodSandbox ToListItem()
    {
        var item = new PodSandbox { Id = Id, Metadata = Config.Metadata, State = State, CreatedAt = CreatedAt };
        item.Labels.Add(Config.Labels);
        item.Annotations.Add(Config.Annotations);
        return item;
    }

    public PodSandboxStatus ToStatus()
    {
        var status = new PodSandboxStatus
        {
            Id = Id,
            Metadata = Config.Metadata,
            State = State,
            CreatedAt = CreatedAt,
            Network = new PodSandboxNetworkStatus { Ip = State == PodSandboxState.SandboxReady ? Ip : "" },
        };
        status.Labels.Add(Config.Labels);
        status.Annotations.Add(Config.Annotations);
        return status;
    }
}
