"""Pilot tests of the student app: the whole path at 80x24, resume, resizes, no way out."""

from __future__ import annotations

from textual.widgets import Input, OptionList, ProgressBar

from citizen.ui.app import build_app
from citizen.ui.screens.home import HomeScreen
from citizen.ui.screens.lesson import LessonScreen
from citizen.ui.screens.quiz import PickAll, QuizScreen
from citizen.ui.screens.result import ResultScreen
from citizen.ui.screens.signin import PickNameScreen, SignInScreen

SIZE = (80, 24)


from pilotkit import text_of, wait_for  # noqa: E402  (shared Pilot helpers)


async def sign_in(pilot, app, code: str, name_index: int = 0) -> None:
    await pilot.click("#code")
    await pilot.press(*code, "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, PickNameScreen))
    for _ in range(name_index):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, (HomeScreen, QuizScreen)))


async def answer_current(pilot, app, right: bool = True) -> None:
    screen: QuizScreen = app.screen
    item = screen.item
    picks = [n for n, c in enumerate(item.choices, 1) if c.correct == right]
    if item.question.kind == "select_all":
        for n in (picks if right else picks[:1]):
            await pilot.press(str(n))
        await pilot.press("enter")
    else:
        await pilot.press(str(picks[0]))
    await wait_for(pilot, lambda: screen.feedback is not None)


async def test_whole_student_path(demo):
    classroom, cls, (ava, _) = demo
    app = build_app(classroom)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SignInScreen)
        await pilot.click("#code")
        await pilot.press(*"WRONG1", "enter")
        assert "No class has that code" in text_of(app, "#signin-error")
        app.screen.query_one("#code", Input).value = ""
        await sign_in(pilot, app, cls.join_code.lower())
        assert isinstance(app.screen, HomeScreen)
        assert "Ava R." in text_of(app, "#home-title")
        assert "under 13" in text_of(app, "#home-age")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert "page 1 of 2" in text_of(app, "#lesson-title")
        await pilot.press("right", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen: QuizScreen = app.screen
        for i in range(4):
            assert f"Question {i + 1} of 4" in text_of(app, "#quiz-count")
            await answer_current(pilot, app, right=(i != 0))
            saved = classroom.store.answers(screen.quiz.attempt_id)
            assert len(saved) == i + 1  # committed before the feedback was on screen
            verdict = text_of(app, "#verdict")
            assert verdict == ("✘ Not quite." if i == 0 else "✔ Right!")
            explanation = text_of(app, "#explanation")
            assert "You chose:" in explanation and "Policy: testdist:" in explanation
            if i == 0:
                assert "The right answer:" in explanation
            assert app.screen.query_one("#bar", ProgressBar).progress == i + 1
            await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        summary = text_of(app, "#result-summary")
        assert "3 of 4 right (75%)" in summary and "✘ Not yet mastered" in summary
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        card = app.screen.cards[0]
        assert card.status == "done" and card.todo == "review"


async def test_select_all_needs_a_tick_and_checks_with_enter(demo):
    classroom, cls, (ava, _) = demo
    app = build_app(classroom)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, cls.join_code)
        quiz = classroom.begin(ava.id, "alpha")
        screen = QuizScreen(ava.id, quiz)
        await app.push_screen(screen)
        while screen.item.question.kind != "select_all":
            await answer_current(pilot, app)
            await pilot.press("enter")
        await pilot.press("enter")
        assert "Tick at least one" in text_of(app, "#save-error")
        assert screen.feedback is None
        many = app.screen.query_one("#choices-all", PickAll)
        assert many.has_focus
        await answer_current(pilot, app)
        assert text_of(app, "#verdict") == "✔ Right!"


async def test_resume_opens_the_quiz_at_the_first_unanswered_question(demo):
    classroom, cls, (ava, _) = demo
    quiz = classroom.begin(ava.id, "alpha")
    for item in quiz.items[:2]:
        classroom.answer(quiz.attempt_id, item.position,
                         [c.id for c in item.choices if c.correct])
    app = build_app(classroom)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, cls.join_code)
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        assert "Question 3 of 4" in text_of(app, "#quiz-count")
        assert app.screen.item.question.id == quiz.items[2].question.id


async def test_escape_from_a_quiz_keeps_answers_and_home_shows_progress(demo):
    classroom, cls, (ava, _) = demo
    app = build_app(classroom)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, cls.join_code)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        await answer_current(pilot, app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.screen.cards[0].progress == "1/4"


async def test_practice_signs_in_without_a_class(classroom):
    app = build_app(classroom)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen.query_one(OptionList), OptionList))
        await pilot.press("down", "enter")  # grades 3-5
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "Practice (3-5)" in text_of(app, "#home-title")


async def test_ctrl_c_explains_how_to_quit_and_does_not_end_the_quiz(demo):
    classroom, cls, (ava, _) = demo
    app = build_app(classroom)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, app, cls.join_code)
        quiz = classroom.begin(ava.id, "alpha")
        await app.push_screen(QuizScreen(ava.id, quiz))
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, QuizScreen)
        assert any("to quit" in str(n.message) for n in app._notifications)


async def test_no_command_palette_screenshot_or_screen_switch_for_students(demo):
    classroom, cls, _ = demo
    app = build_app(classroom)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert list(app.get_system_commands(app.screen)) == []
        await app.run_action("screenshot")
        await app.run_action("push_screen('home')")
        await app.run_action("switch_mode('teacher')")
        assert isinstance(app.screen, SignInScreen) and len(app.screen_stack) == 1


async def test_names_with_markup_are_shown_literally(classroom):
    cls = classroom.create_class("Room [b]9[/b]", "3-5")
    # clean_name refuses "@"; the display must be safe even if such a name got in (import, DB).
    classroom.store.add_student(cls.id, "[@click=app.quit]Eve[/]", "", "3-5", classroom.clock())
    app = build_app(classroom)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, cls.join_code)
        assert "[@click=app.quit]Eve[/]" in text_of(app, "#home-title")
        assert app.is_running


async def test_too_small_panel_and_resize_sweep_on_every_screen(demo):
    classroom, cls, (ava, _) = demo
    quiz = classroom.begin(ava.id, "beta")
    for item in quiz.items:
        classroom.answer(quiz.attempt_id, item.position,
                         [c.id for c in item.choices if c.correct])
    result = classroom.finish(quiz.attempt_id)
    app = build_app(classroom)
    sizes = [(80, 24), (39, 24), (80, 11), (20, 5), (1, 1), (80, 24)]
    async with app.run_test(size=SIZE) as pilot:
        screens = [
            lambda: None,
            lambda: app.push_screen(PickNameScreen(classroom.find_class(cls.join_code))),
            lambda: app.push_screen(HomeScreen(ava.id)),
            lambda: app.push_screen(LessonScreen(ava.id, "alpha", "Alpha", "lesson",
                                                 classroom.pages(ava.id, "alpha"))),
            lambda: app.push_screen(QuizScreen(ava.id, classroom.begin(ava.id, "alpha"))),
            lambda: app.push_screen(ResultScreen(result)),
        ]
        for open_screen in screens:
            open_screen()
            await pilot.pause()
            for w, h in sizes:
                await pilot.resize_terminal(w, h)
                await pilot.pause()
                too_small = app.screen.query_one("TooSmall")
                assert too_small.display == (w < 40 or h < 12), (app.screen, w, h)
            assert app.is_running


def test_page_lines_stand_on_their_own_and_lists_stay_lists():
    from citizen.ui.screens.lesson import page_markdown

    body = "Some things are **private**.\nKeep them safe.\n- last name\n- address\nAsk first.\n"
    assert page_markdown(body) == ("Some things are **private**.\n\nKeep them safe.\n\n"
                                   "- last name\n- address\n\nAsk first.")


async def test_keys_after_an_answer_cannot_change_it(demo):
    classroom, cls, (ava, _) = demo
    app = build_app(classroom)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, cls.join_code)
        quiz = classroom.begin(ava.id, "alpha")
        screen = QuizScreen(ava.id, quiz)
        await app.push_screen(screen)
        while True:
            kind = screen.item.question.kind
            await answer_current(pilot, app, right=False)
            saved = classroom.store.answers(quiz.attempt_id)[-1]
            many = app.screen.query_one("#choices-all", PickAll)
            ticks = list(many.selected)
            await pilot.press("2", "space", "3")
            assert classroom.store.answers(quiz.attempt_id)[-1] == saved
            assert list(many.selected) == ticks
            assert screen.feedback is not None
            if kind == "select_all":
                break
            await pilot.press("enter")
            await wait_for(pilot, lambda: screen.feedback is None)


async def test_both_apps_show_quit_in_the_footer_and_keep_the_too_small_breakpoints(demo):
    from citizen import auth
    from citizen.staffroom import Staffroom
    from citizen.ui.teacher.app import build_teacher_app

    classroom, _, _ = demo
    staffroom = Staffroom(classroom, hash_params=auth.ScryptParams(n=2**10, r=8, p=1))
    for app in (build_app(classroom), build_teacher_app(staffroom)):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            quit_binding = app.active_bindings["ctrl+q"].binding
            assert quit_binding.show and quit_binding.description == "Quit"
            await pilot.resize_terminal(30, 10)
            await pilot.pause()
            assert app.screen.has_class("-narrow") and app.screen.has_class("-short")
