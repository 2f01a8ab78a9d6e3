using System.Text;

namespace Timonel.Scheduler.Framework;

/// <summary>
/// No node fits the pod (upstream framework/types.go FitError). <see cref="Message"/> is upstream's Error(): "0/N
/// nodes are available:" then the PreFilter message, or each reason with the number of nodes it rejected, sorted as
/// strings; then the PostFilter message; each part as " %v.".
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "upstream's name")]
public sealed class FitError : Exception
{
    public FitError(PodInfo pod, int numAllNodes, Diagnosis diagnosis)
        : base(Format(numAllNodes, diagnosis))
    {
        Pod = pod;
        NumAllNodes = numAllNodes;
        Diagnosis = diagnosis;
    }

    public PodInfo Pod { get; }

    public int NumAllNodes { get; }

    public Diagnosis Diagnosis { get; }

    /// <summary>upstream's NoNodeAvailableMsg and SeparatorFormat.</summary>
    public static string Format(int numAllNodes, Diagnosis diagnosis)
    {
        var message = new StringBuilder($"0/{numAllNodes} nodes are available:");
        if (!string.IsNullOrEmpty(diagnosis.PreFilterMessage))
        {
            message.Append(' ').Append(diagnosis.PreFilterMessage).Append('.');
        }
        else
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var status in diagnosis.NodeToStatus.Explicit.Values)
            {
                foreach (var reason in status.Reasons)
                {
                    counts[reason] = counts.GetValueOrDefault(reason) + 1;
                }
            }

            var absent = numAllNodes - diagnosis.NodeToStatus.Count;
            if (absent > 0)
            {
                foreach (var reason in diagnosis.NodeToStatus.AbsentNodesStatus.Reasons)
                {
                    counts[reason] = counts.GetValueOrDefault(reason) + absent;
                }
            }

            // Go's sort.Strings: byte order of "<count> <reason>".
            var reasons = counts.Select(pair => $"{pair.Value} {pair.Key}").Order(StringComparer.Ordinal).ToList();
            if (reasons.Count > 0)
            {
                message.Append(' ').AppendJoin(", ", reasons).Append('.');
            }
        }

        if (!string.IsNullOrEmpty(diagnosis.PostFilterMessage))
        {
            message.Append(' ').Append(diagnosis.PostFilterMessage).Append('.');
        }

        return message.ToString();
    }
}
