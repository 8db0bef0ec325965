using Akka.Actor;
using QuantCluster.Messages.Membership;

namespace QuantCluster.Node;

/// <summary>
/// Announces its parent (a worker or calibration actor) to the coordinator's registry every second until the parent is
/// acknowledged and stops this child. Repeating covers a coordinator that is not up yet or a lost message.
/// </summary>
public sealed class RegistrarActor : ReceiveActor, IWithTimers
{
    private const string Tick = "register";

    public RegistrarActor(ActorPath registry, RegisterMember registration)
    {
        var target = Context.ActorSelection(registry);
        Receive<string>(_ => target.Tell(registration, Context.Parent));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ActorPath registry, RegisterMember registration) =>
        Akka.Actor.Props.Create(() => new RegistrarActor(registry, registration));

    protected override void PreStart() => Timers.StartPeriodicTimer(Tick, Tick, TimeSpan.Zero, TimeSpan.FromSeconds(1));
}
