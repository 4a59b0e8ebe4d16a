extension App {
    /// The one route table: every page of the product, by controller.
    static func routes(
        booking: BookingController, selfService: SelfServiceController, health: HealthController,
        signIn: StaffSignInController, customers: CustomerMasterController, day: StaffBookingsController,
        studios: StudiosController, closedDays: ClosedDaysController,
        desk: StaffDeskController,
        customerChanges: CustomerChangesController,
        accounts: StaffAccountsController,
        messages: BookingMessagesController
    ) -> Router {
        var router = Router()
        health.addRoutes(to: &router)
        booking.addRoutes(to: &router)
        // After the form's own `/booking/jam`, which the pattern `/booking/{ref}` would also match.
        selfService.addRoutes(to: &router)
        // Everything under /staff, routed or not, is for signed-in staff, sign-in itself aside.
        router.area("/staff", access: .staff)
        signIn.addRoutes(to: &router)
        customers.addRoutes(to: &router)
        day.addRoutes(to: &router)
        studios.addRoutes(to: &router)
        closedDays.addRoutes(to: &router)
        desk.addRoutes(to: &router)
        customerChanges.addRoutes(to: &router)
        accounts.addRoutes(to: &router)
        messages.addRoutes(to: &router)
        return router
    }
}
