namespace Timonel.Controllers.Certificates;

/// <summary>What the approver does with a kubelet serving CSR: approve it, look again once its Node is there, or leave it to a person (and why).</summary>
public sealed record KubeletServingVerdict(KubeletServingVerdict.Outcome Decision, string Reason)
{
    public enum Outcome
    {
        Approve,
        WaitForNode,
        LeavePending,
    }

    public static KubeletServingVerdict Approve { get; } = new(Outcome.Approve, "");

    public static KubeletServingVerdict WaitForNode(string reason) => new(Outcome.WaitForNode, reason);

    public static KubeletServingVerdict LeavePending(string reason) => new(Outcome.LeavePending, reason);
}
