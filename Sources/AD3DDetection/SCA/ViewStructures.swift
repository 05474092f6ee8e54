import Synchronization

/// What scoring single views needs of a surface template, built on first use: the pose proposals
/// (`ViewRegistration`) and the gap finder (`ViewGaps`). Building them takes about 200 ms, which a
/// model that only ever scores complete scans (and training's final model, which is only saved)
/// never spends. Safe to share between threads: the first caller builds, the others wait.
final class ViewStructures: Sendable {
    /// The template they describe.
    private let template: SurfaceTemplate
    /// The structures once built; each nil when the template cannot support it (too small to describe by features).
    private let built = Mutex<(registration: ViewRegistration?, gaps: ViewGaps?)?>(nil)

    /// The structures of `template`, not yet built.
    init(template: SurfaceTemplate) {
        self.template = template
    }

    /// Pose proposals for single views (nil when the template cannot be described by features).
    var registration: ViewRegistration? { structures().registration }

    /// Gap finding in single views (nil when it cannot be built).
    var gaps: ViewGaps? { structures().gaps }

    /// Both structures, built by the first caller.
    private func structures() -> (registration: ViewRegistration?, gaps: ViewGaps?) {
        built.withLock { built in
            if let built { return built }
            let made = (registration: try? ViewRegistration(template: template.points), gaps: try? ViewGaps(template: template))
            built = made
            return made
        }
    }
}
