package org.ternmq.it.app;

import java.io.IOException;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code /control?op=send|rollback|inject&id=...}: runs one of {@link OrderBean}'s transactions for the test. */
@WebServlet("/control")
public class ControlServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private OrderBean bean;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = request.getParameter("id");
        String op = request.getParameter("op");
        switch (op == null ? "" : op) {
            case "send" -> bean.sendAndInsert(id, false);
            case "rollback" -> bean.sendAndInsert(id, true);
            case "inject" -> bean.sendWithInjectedContext(id);
            default -> {
                response.sendError(400, "op must be send, rollback or inject");
                return;
            }
        }
        response.setContentType("text/plain");
        response.getWriter().print("ok " + op + " " + id);
    }
}
