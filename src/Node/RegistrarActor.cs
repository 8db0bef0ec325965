using Akka.Actor;
using QuantCluster.Messages.Membership;

namespace QuantCluster.Node;

/// <summary>
/// Announces its parent (a worker or calibration actor) to the coordinator's registry every second until the registry
/// answers (the parent hands the answer on): acknowledged, it stops; refused, it ends the process with exit code 1.
/// Repeating covers a coordinator that is not up yet or a lost message.
/// </summary>
public sealed class RegistrarActor : ReceiveActor, IWithTimers
{
    private const string Tick = "register";

    public RegistrarActor(Registration registration, string role)
    {
        var target = Context.ActorSelection(registration.Registry);
        var announcement = new RegisterMember(role, registration.Node, registration.Device,
            registration.Secret?.Prove(role, registration.Node, registration.Device) ?? "");
        Receive<string>(_ => target.Tell(announcement, Context.Parent));
        Receive<MemberRegistered>(_ => Context.Stop(Self));
        Receive<MemberRefused>(m =>
        {
            Timers.CancelAll();
            registration.Exit.Fail($"the coordinator at {registration.Registry.Address} refused this {role} ({registration.Device}): {m.Reason}");
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Registration registration, string role) => Akka.Actor.Props.Create(() => new RegistrarActor(registration, role));

    protected override void PreStart() => Timers.StartPeriodicTimer(Tick, Tick, TimeSpan.Zero, TimeSpan.FromSeconds(1));
}
