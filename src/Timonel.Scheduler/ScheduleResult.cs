namespace Timonel.Scheduler;

/// <summary>The node chosen for a pod and how many nodes were looked at (upstream ScheduleResult).</summary>
public sealed record ScheduleResult(string SuggestedHost, int EvaluatedNodes, int FeasibleNodes);
