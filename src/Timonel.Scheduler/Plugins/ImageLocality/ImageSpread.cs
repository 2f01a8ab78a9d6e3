namespace Timonel.Scheduler.Plugins.ImageLocality;

/// <summary>How many nodes hold each of the pod's images, out of how many (upstream ImageStateSummary.NumNodes).</summary>
internal sealed record ImageSpread(Dictionary<string, int> NumNodes, int TotalNodes);
